#!/usr/bin/env node
// Pathwell is TypeScript; Node 20 cannot run it directly, so tsx compiles it as it loads (the
// ESM hook for our modules, the CommonJS hook for the Temporal SDK's require() of converters).
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

registerCommonJs();
register();
await import('../server/cli/main.ts');
