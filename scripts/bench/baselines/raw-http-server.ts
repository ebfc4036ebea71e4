import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * Baseline: plain node:http answering every request with the same JSON bytes the picker returned,
 * after reading the request body (as any server must). The ceiling for one Node process here.
 * Usage: raw-http-server.ts PORT FILE
 */
const port = Number(process.argv[2]);
const body = readFileSync(process.argv[3]);

createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
