// The load generator of bench/serving-http.ts, run as its own process so that it does not share the server's event
// loop: autocannon with keep-alive connections in a closed loop, each request's body taken in turn from a pool of
// bodies made before the clock starts (random entity ids). Prints one JSON line: requests/s, latency percentiles
// in ms, errors and non-2xx answers.
//
//   node dist/bench/http-load.js --url http://127.0.0.1:8080/0.1.0/feature_store --kind single|batch|hello|feast-single|feast-batch
//     [--key KEY] [--connections 50] [--seconds 10] [--entities 1000000] [--batch 100] [--seed 1]
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { prng } from './harness.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    kind: { type: 'string' },
    key: { type: 'string' },
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    entities: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
  },
});
const kind = values.kind as string;
const entities = Number(values.entities);
const batch = Number(values.batch);
const random = prng(Number(values.seed));
const uid = () => Math.floor(random() * entities);
const FEATURES = ['users:age', 'users:country', 'users:balance', 'activity:count_7d', 'activity:count_30d', 'activity:amount_7d', 'activity:last_merchant', 'risk:score', 'risk:flagged', 'risk:segment'];

/** One request body of this kind, for fresh random ids. */
function body(): string | undefined {
  const view = { featureStoreName: 'bench', featureViewName: 'scoring', featureViewVersion: 1 };
  switch (kind) {
    case 'single':
      return JSON.stringify({ ...view, entries: { uid: uid() } });
    case 'batch':
      return JSON.stringify({ ...view, entries: Array.from({ length: batch }, () => ({ uid: uid() })) });
    case 'feast-single':
      return JSON.stringify({ features: FEATURES, entities: { uid: [uid()] } });
    case 'feast-batch':
      return JSON.stringify({ features: FEATURES, entities: { uid: Array.from({ length: batch }, uid) } });
    case 'hello':
      return undefined;
    default:
      throw new Error(`unknown --kind ${kind}`);
  }
}

const bodies = Array.from({ length: 4096 }, body);
let next = 0;
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (values.key !== undefined) headers['x-api-key'] = values.key;

const result = await autocannon({
  url: values.url as string,
  connections: Number(values.connections),
  duration: Number(values.seconds),
  // As wrk's runs (serving-http.ts): a slow server's answers still count.
  timeout: 30,
  method: kind === 'hello' ? 'GET' : 'POST',
  headers: kind === 'hello' ? {} : headers,
  requests: [{ setupRequest: (request) => (kind === 'hello' ? request : { ...request, body: bodies[next++ & 4095] }) }],
});
const perRequest = kind === 'batch' || kind === 'feast-batch' ? batch : 1;
console.log(
  JSON.stringify({
    kind,
    connections: result.connections,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSec: result.requests.total / result.duration,
    vectorsPerSec: (result.requests.total * perRequest) / result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  }),
);
