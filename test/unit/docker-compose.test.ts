import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The Compose Specification's own JSON schema (compose-spec/compose-spec, Apache-2.0), as the
// dclint package ships it: no Docker engine runs here, so CI checks the file against it.
const SCHEMA_PATH = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dclint/package.json')),
  'schemas/compose.schema.json',
);

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  container_name?: string;
  healthcheck?: unknown;
  profiles?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
}

function load(): { services: Record<string, Service>; volumes?: Record<string, unknown> } {
  return parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as { services: Record<string, Service> };
}

function validator() {
  // Draft-07, which Ajv's default class is; its https meta-schema id is one Ajv does not list.
  const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as {
    $schema?: string;
  };
  // The schema names formats (durations, …) Ajv does not know; their values are checked by
  // Compose itself, the shape here.
  return new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
}

describe('docker-compose.yml', () => {
  it('is a valid Compose file when checked against the compose-spec schema', () => {
    const validate = validator();

    const isValid = validate(load());

    expect(validate.errors ?? []).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('fails the schema when a service has a key Compose does not know', () => {
    const validate = validator();
    const broken = load();
    (broken.services.postgres as Record<string, unknown>).imagee = 'postgres:16';

    expect(validate(broken)).toBe(false);
  });

  it('runs the production stack with health checks, volumes and scalable workers', () => {
    const { services, volumes } = load();

    expect(Object.keys(services).sort()).toEqual([
      'mailpit',
      'pathwell-server',
      'pathwell-worker',
      'postgres',
      'temporal',
      'temporal-ui',
    ]);
    for (const name of ['postgres', 'temporal', 'pathwell-server']) {
      expect(services[name]?.healthcheck, name).toBeDefined();
    }
    expect(volumes).toHaveProperty('postgres-data');
    const worker = services['pathwell-worker'] as Service;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.deploy?.replicas).toBeGreaterThan(1);
    expect(services['temporal-ui']?.environment?.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/api\/codec$/);
    expect(services.mailpit?.profiles).toEqual(['staging']);
    expect(services['pathwell-worker']?.environment?.PATHWELL_MODE).toBe('production');
  });
});
