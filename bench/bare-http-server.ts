// The machine's own limit for the HTTP serving benchmark (bench/serving-http.ts --bare): a bare node:http server
// answering "Hello, World!" to every request, in --processes processes sharing the port (node:cluster, as
// `humle server --processes` does). No framework, no routing, no body: what is left of a request is Node's HTTP
// parser, the socket and the kernel, so its latencies are the floor any server on this machine and stack can reach
// under the same load.
//
//   node dist/bench/bare-http-server.js --port 18080 [--processes 1]
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '18080' }, processes: { type: 'string', default: '1' } } });
const processes = Number(values.processes);

if (cluster.isPrimary && processes > 1) {
  for (let i = 0; i < processes; i++) cluster.fork();
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/plain');
    response.end('Hello, World!');
  });
  server.listen(Number(values.port), '127.0.0.1', () => console.log(`bare node:http listening on ${values.port}`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
