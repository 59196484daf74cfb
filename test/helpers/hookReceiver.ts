import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after } from 'node:test';

/**
 * A local server standing in for a webhook's receiver: every request is answered 204 and kept as
 * `keep` makes it (its headers and body text in), in `received`; closed after the file's tests.
 */
export async function hookReceiver<T>(
  keep: (request: { headers: IncomingHttpHeaders; body: string }) => T,
): Promise<{ url: string; received: T[] }> {
  const received: T[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push(keep({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`, received };
}
