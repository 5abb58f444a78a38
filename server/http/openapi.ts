import { z } from 'zod';
import { ProblemSchema } from './problem.js';
import type { Route } from './route.js';

/**
 * The OpenAPI 3.1 document of the server's routes, generated from the routes themselves: the
 * schemas in it are the zod schemas the handlers validate with.
 */
export function buildOpenApi(
  routes: readonly Route[],
  info: { version: string; serverUrl: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const operations = paths[openApiPath] ?? {};
    operations[route.method] = operationOf(route);
    paths[openApiPath] = operations;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pathwell API',
      version: info.version,
      description: 'Patient-communication journeys: webhooks, journeys, runs and their evidence.',
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: { schemas: { Problem: toSchema(ProblemSchema) } },
  };
}

function operationOf(route: Route): Record<string, unknown> {
  const parameters = [
    ...parametersOf(route.request?.params, 'path'),
    ...parametersOf(route.request?.query, 'query'),
  ];
  const body =
    route.request?.contentTypes === undefined && route.request?.body === undefined
      ? undefined
      : {
          required: true,
          content: Object.fromEntries(
            (route.request?.contentTypes ?? ['application/json']).map((type) => [
              type,
              route.request?.body === undefined ? {} : { schema: toSchema(route.request.body) },
            ]),
          ),
        };
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema === undefined
          ? {}
          : {
              content: {
                [response.contentType ?? 'application/json']: { schema: toSchema(response.schema) },
              },
            }),
      },
    ]),
  );
  return {
    summary: route.summary,
    tags: route.tags,
    'x-pathwell-access': route.access,
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(body === undefined ? {} : { requestBody: body }),
    responses,
  };
}

function parametersOf(
  schema: z.ZodObject | undefined,
  location: 'path' | 'query',
): Array<Record<string, unknown>> {
  if (schema === undefined) {
    return [];
  }
  return Object.entries(schema.shape).map(([name, member]) => ({
    name,
    in: location,
    required: location === 'path' || !(member as z.ZodType).safeParse(undefined).success,
    schema: toSchema(member as z.ZodType),
  }));
}

function toSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
