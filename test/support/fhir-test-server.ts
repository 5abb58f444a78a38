import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FhirResource } from 'fhir/r4.js';

/**
 * A small stand-in for an EHR's FHIR server (the EHR is outside this machine): it answers
 * `GET /fhir/<type>/<id>` for the resources it was given, only with the right bearer token,
 * and records what was asked.
 */
export interface FhirTestServer {
  baseUrl: string;
  token: string;
  reads: string[];
  put: (resource: FhirResource) => void;
  close: () => Promise<void>;
}

/** Starts a FHIR test server on a free loopback port. */
export async function startFhirTestServer(resources: FhirResource[] = []): Promise<FhirTestServer> {
  const token = 'fhir-test-token';
  const store = new Map(
    resources.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]),
  );
  const reads: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/fhir\//, '');
    reads.push(path);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    const resource = store.get(path);
    if (resource === undefined) {
      res
        .writeHead(404, { 'content-type': 'application/fhir+json' })
        .end('{"resourceType":"OperationOutcome"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(resource));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir`,
    token,
    reads,
    put: (resource) => store.set(`${resource.resourceType}/${resource.id}`, resource),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
