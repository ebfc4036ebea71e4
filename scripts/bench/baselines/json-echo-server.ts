import { createServer } from 'node:http';

/**
 * The ingest workload's baseline: a bare node:http server that reads a reportModelCalls request,
 * parses its JSON and answers how many reports it held, in the api's answer shape. What HTTP and
 * JSON alone cost, with no GraphQL, auth, database or queue. Usage: json-echo-server.ts PORT
 */
const port = Number(process.argv[2]);

const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: { reports?: unknown[] } };
      const accepted = Array.isArray(body.variables?.reports) ? body.variables.reports.length : 0;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { reportModelCalls: accepted } }));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"errors":[{"message":"bad JSON"}]}');
    }
  });
});

server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
