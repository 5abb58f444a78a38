import { Resolver } from 'node:dns/promises';
import { AppError } from '../../engine/errors/app-error.js';

/** The DNS questions mail delivery asks. Tests point it at a local DNS server. */
export interface MailDns {
  /**
   * A domain's mail exchangers, most preferred first: its MX records, the domain itself when it
   * has none (RFC 5321 §5.1 implicit MX), or none at all for a null MX (RFC 7505) or a domain
   * that does not exist.
   *
   * @throws AppError `dependency_unavailable` when DNS gives no answer (SERVFAIL, timeout)
   */
  mxHosts: (domain: string) => Promise<string[]>;
  /** The TXT records at a name, each record's strings joined; none when there are none. */
  txt: (name: string) => Promise<string[]>;
  /** An IPv4 or IPv6 address of a host, or `undefined` when it has none. */
  address: (host: string) => Promise<string | undefined>;
}

const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * DNS through the system's resolvers, or through `servers` (`PATHWELL_DNS_SERVERS`, e.g.
 * `127.0.0.1:53` for a local validating resolver). Answers are not cached here: the resolver
 * caches, and the posture cache keeps what Pathwell concluded from them.
 */
export function systemMailDns(options: { servers?: string[]; timeoutMs?: number } = {}): MailDns {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5_000, tries: 2 });
  if (options.servers !== undefined && options.servers.length > 0) {
    resolver.setServers(options.servers);
  }
  return {
    mxHosts: async (domain) => {
      try {
        const records = await resolver.resolveMx(domain);
        const hosts = records
          .sort((a, b) => a.priority - b.priority)
          .map((record) => record.exchange.toLowerCase().replace(/\.$/, ''));
        return hosts.length === 1 && hosts[0] === '' ? [] : hosts.filter((host) => host !== '');
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (code === 'ENODATA') {
          return [domain];
        }
        if (code === 'ENOTFOUND') {
          return [];
        }
        throw unavailable('MX', error);
      }
    },
    txt: async (name) => {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      } catch (error) {
        if (ABSENT.has((error as { code?: string }).code ?? '')) {
          return [];
        }
        throw unavailable('TXT', error);
      }
    },
    address: async (host) => {
      for (const lookup of [
        () => resolver.resolve4(host),
        () => resolver.resolve6(host),
      ] as const) {
        try {
          const [first] = await lookup();
          if (first !== undefined) {
            return first;
          }
        } catch (error) {
          if (!ABSENT.has((error as { code?: string }).code ?? '')) {
            throw unavailable('address', error);
          }
        }
      }
      return undefined;
    },
  };
}

function unavailable(question: string, error: unknown): AppError {
  return new AppError(
    'dependency_unavailable',
    `DNS gave no ${question} answer (${(error as { code?: string }).code ?? 'no code'}); check the resolvers or PATHWELL_DNS_SERVERS.`,
    { cause: error },
  );
}
