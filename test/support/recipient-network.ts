import { randomInt } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import {
  createCertificateAuthority,
  type IssuedCertificate,
  issueServerCertificate,
} from '../../server/embedded/dev-ca.js';
import type { RecipientNetwork } from '../../server/worker/activity-deps-of.js';
import {
  startTestSmtpServer,
  type TestSmtpOptions,
  type TestSmtpServer,
} from './smtp-test-server.js';

const { Packet } = dns2;
const DAY_MS = 86_400_000;

/** What certificate a test server offers. */
export type CertificateKind = 'trusted' | 'mismatched' | 'expired' | 'untrusted';

/** Records a name has in the test zone. */
interface ZoneEntry {
  a?: string[];
  mx?: Array<{ exchange: string; priority: number }>;
  txt?: string[];
}

/** An MTA-STS policy host: what it answers, changeable during a test. */
export interface PolicyHost {
  body: string;
  /** Answer with a redirect instead of the policy (RFC 8461 §3.3 forbids following it). */
  isRedirect: boolean;
  requests: number;
}

/**
 * The recipients' side of the internet, on this machine: a real DNS server (dns2, over UDP)
 * that Pathwell's resolver is pointed at with `PATHWELL_DNS_SERVERS`, real SMTP servers posing
 * as recipient MXes, and real HTTPS servers serving MTA-STS policies. Every host gets its own
 * loopback address (127.a.b.n, a and b random per test file), so all MXes share one port and
 * all policy hosts another, and certificates come from a CA of the test's own.
 */
export interface RecipientNetworkFixture {
  /** For the harness: ports and the test CA as an extra root. */
  network: RecipientNetwork;
  /** `PATHWELL_DNS_SERVERS` */
  dnsServers: string;
  /** Gives a domain an MX (a real SMTP server) with the certificate asked for. */
  addMx: (
    domain: string,
    options: {
      mxHost?: string;
      certificate?: CertificateKind | 'none';
      priority?: number;
      smtp?: Omit<TestSmtpOptions, 'tls' | 'certificate' | 'listen'>;
    },
  ) => Promise<TestSmtpServer>;
  /** Publishes an MTA-STS TXT record and a policy host serving `body`. */
  publishStsPolicy: (
    domain: string,
    options: { id: string; body: string; certificate?: CertificateKind },
  ) => Promise<PolicyHost>;
  /** Replaces the TXT records at a name. */
  setTxt: (name: string, records: string[]) => void;
  close: () => Promise<void>;
}

/** Starts the DNS server and the CAs; MXes and policy hosts are added per test. */
export async function startRecipientNetwork(): Promise<RecipientNetworkFixture> {
  const zone = new Map<string, ZoneEntry>();
  const prefix = `127.${randomInt(1, 250)}.${randomInt(1, 250)}`;
  let nextHost = 1;
  const ca = await createCertificateAuthority('Pathwell test recipients CA');
  const untrustedCa = await createCertificateAuthority('A CA nobody trusts');
  const dnsServer = await startDnsServer(zone);
  const closers: Array<() => Promise<void>> = [];
  const ports: { smtp?: number; https?: number } = {};

  const entry = (name: string): ZoneEntry => {
    const key = name.toLowerCase();
    const found = zone.get(key) ?? {};
    zone.set(key, found);
    return found;
  };
  const newAddress = (host: string): string => {
    const address = `${prefix}.${nextHost}`;
    nextHost += 1;
    entry(host).a = [address];
    return address;
  };
  const certificateFor = (host: string, kind: CertificateKind): Promise<IssuedCertificate> => {
    switch (kind) {
      case 'trusted':
        return issueServerCertificate(ca, { names: [host] });
      case 'mismatched':
        return issueServerCertificate(ca, { names: [`other-name.${host}`] });
      case 'expired':
        return issueServerCertificate(ca, {
          names: [host],
          notBefore: new Date(Date.now() - 30 * DAY_MS),
          notAfter: new Date(Date.now() - DAY_MS),
        });
      case 'untrusted':
        return issueServerCertificate(untrustedCa, { names: [host] });
    }
  };

  return {
    network: {
      get smtpPort() {
        return ports.smtp ?? 0;
      },
      get httpsPort() {
        return ports.https ?? 0;
      },
      extraCa: [ca.certPem],
    },
    dnsServers: `127.0.0.1:${dnsServer.port}`,
    addMx: async (domain, options) => {
      const mxHost = options.mxHost ?? `mx.${domain}`;
      const address = newAddress(mxHost);
      const kind = options.certificate ?? 'trusted';
      const server = await startTestSmtpServer({
        ...options.smtp,
        ...(kind === 'none' ? { tls: false } : { certificate: await certificateFor(mxHost, kind) }),
        listen: { host: address, port: ports.smtp ?? 0 },
      });
      ports.smtp ??= server.port;
      const records = entry(domain);
      records.mx = [...(records.mx ?? []), { exchange: mxHost, priority: options.priority ?? 10 }];
      closers.push(() => server.close());
      return server;
    },
    publishStsPolicy: async (domain, options) => {
      entry(`_mta-sts.${domain}`).txt = [`v=STSv1; id=${options.id}`];
      const host = `mta-sts.${domain}`;
      const address = newAddress(host);
      const state: PolicyHost = { body: options.body, isRedirect: false, requests: 0 };
      const certificate = await certificateFor(host, options.certificate ?? 'trusted');
      const server = https.createServer(
        { key: certificate.keyPem, cert: certificate.certPem },
        (req, res) => {
          state.requests += 1;
          if (state.isRedirect) {
            res.writeHead(301, { location: `https://elsewhere.${domain}/policy.txt` }).end();
            return;
          }
          if (req.url !== '/.well-known/mta-sts.txt') {
            res.writeHead(404).end();
            return;
          }
          res.writeHead(200, { 'content-type': 'text/plain' }).end(state.body);
        },
      );
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(ports.https ?? 0, address, () => resolve());
      });
      ports.https ??= (server.address() as AddressInfo).port;
      closers.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      return state;
    },
    setTxt: (name, records) => {
      entry(name).txt = records;
    },
    close: async () => {
      for (const close of closers.reverse()) {
        await close();
      }
      await dnsServer.close();
    },
  };
}

async function startDnsServer(
  zone: Map<string, ZoneEntry>,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question?.name ?? '';
      const found = zone.get(name.toLowerCase());
      if (question === undefined || found === undefined) {
        response.header.rcode = 3;
        void send(response);
        return;
      }
      const base = { name, class: Packet.CLASS.IN, ttl: 1 };
      if (question.type === Packet.TYPE.A) {
        for (const address of found.a ?? []) {
          response.answers.push(record({ ...base, type: Packet.TYPE.A, address }));
        }
      } else if (question.type === Packet.TYPE.MX) {
        for (const mx of found.mx ?? []) {
          response.answers.push(record({ ...base, type: Packet.TYPE.MX, ...mx }));
        }
      } else if (question.type === Packet.TYPE.TXT) {
        for (const data of found.txt ?? []) {
          response.answers.push(record({ ...base, type: Packet.TYPE.TXT, data }));
        }
      }
      void send(response);
    },
  });
  server.on('requestError', () => undefined);
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (server.addresses().udp as AddressInfo).port;
  return { port, close: () => server.close() };
}

// dns2's types describe parsed resources; the encoder takes plain records like these.
function record(fields: Record<string, unknown>): dns2.Packet.Resource {
  return fields as unknown as dns2.Packet.Resource;
}
