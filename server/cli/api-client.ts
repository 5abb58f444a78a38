import { AppError } from '../../engine/errors/app-error.js';

/** Calls a Pathwell server's HTTP API; problems become errors with their code and detail. */
export interface ApiClient {
  get: <T>(path: string, query?: Record<string, string | undefined>) => Promise<T>;
  post: <T>(path: string, body?: unknown) => Promise<T>;
}

/**
 * A client of the API at `baseUrl` (`http://127.0.0.1:8080`), sending `token` (an API token
 * made with `POST /api/tokens`) as its bearer credential.
 */
export function apiClient(baseUrl: string, token?: string): ApiClient {
  const credentials: Record<string, string> =
    token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers:
          body === undefined ? credentials : { ...credentials, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new AppError(
        'dependency_unavailable',
        `No Pathwell server answers at ${baseUrl}; start one, or pass --url.`,
        { cause: error },
      );
    }
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      // The server's problem detail says what to do; the code is Pathwell's.
      const detail = typeof payload.detail === 'string' ? payload.detail : response.statusText;
      const code = typeof payload.code === 'string' ? payload.code : `http_${response.status}`;
      throw new CliApiError(code, detail);
    }
    return payload as T;
  };
  return {
    get: (path, query = {}) => {
      const params = new URLSearchParams(
        Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const suffix = params.size === 0 ? '' : `?${params.toString()}`;
      return call('GET', `${path}${suffix}`);
    },
    post: (path, body) => call('POST', path, body ?? {}),
  };
}

/** A problem the server answered, as the CLI prints it. */
export class CliApiError extends Error {
  readonly code: string;

  constructor(code: string, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'CliApiError';
    this.code = code;
  }
}
