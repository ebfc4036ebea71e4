import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * The fan-out baseline: a bare `ws` server that sends one message to every open socket, with no
 * auth, no GraphQL and no Redis. GET / answers how many sockets are open; POST /broadcast sends
 * its body to each of them. Usage: ws-broadcast-server.ts <port>
 */
const port = Number(process.argv[2]);
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      for (const client of sockets.clients) client.send(body);
      res.end(String(sockets.clients.size));
    });
    return;
  }
  res.end(String(sockets.clients.size));
});
const sockets = new WebSocketServer({ server });
server.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  for (const client of sockets.clients) client.terminate();
  server.close(() => process.exit(0));
});
