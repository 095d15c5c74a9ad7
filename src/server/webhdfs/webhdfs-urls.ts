import type { WebHdfsCall } from './webhdfs-call.js';
import { invalid } from './webhdfs-params.js';

/**
 * The URLs WebHDFS answers with (the data step's Location, CREATE's `webhdfs://` Location, block locations' host).
 * They go out in headers, where only visible ASCII is allowed: a path is percent-encoded component by component
 * (HDFS names may hold any character but `/`, `:` and NUL, CR, LF and non-ASCII letters included), and the Host the
 * client sent is checked before it is echoed, so a name or a Host never turns an answer into a 500 or a header
 * injection.
 */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `http://host:port` as the client addressed this server (its Host header), validated. */
export function requestOrigin(call: WebHdfsCall): URL {
  const host = call.request.headers.host ?? 'localhost';
  let origin: URL;
  try {
    origin = new URL(`${call.request.protocol}://${host}`);
  } catch {
    throw invalid('Host', host, 'the Host header is not a host[:port]');
  }
  // A Host with a path, user, query or fragment part names no server. (The URL parser may still normalise what it
  // keeps: a default port dropped, a name lower-cased or punycoded, all of it header-safe.)
  if (origin.pathname !== '/' || origin.username !== '' || origin.password !== '' || origin.search !== '' || origin.hash !== '') {
    throw invalid('Host', host, 'the Host header is not a host[:port]');
  }
  return origin;
}

/** `webhdfs://host:port/path`, what HDFS's datanode answers a CREATE with. */
export function webHdfsUri(call: WebHdfsCall, path: string): string {
  return `webhdfs://${requestOrigin(call).host}${encodePath(path)}`;
}
