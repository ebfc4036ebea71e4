import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { Role } from '../../src/auth/role';
import { buildAppSchema } from '../../src/schema';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { operationFor, rootFields } from '../helpers/operation-builder';
import { startTestApi, type TestApi } from '../helpers/test-api';

/**
 * Walks the built schema: every root field must be either behind @Roles or explicitly @Public,
 * and the server must really refuse callers without a token or with a role the field does not list.
 */
describe('every root field is authorized or explicitly public', () => {
  let schema: GraphQLSchema;
  let api: TestApi;
  let workspace: TestWorkspace;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    schema = await buildAppSchema({ resolvers: new Map(), pubSub: createPubSub() });
    api = await startTestApi();
    workspace = await createWorkspace(api.app.core);
    tokens.set(Role.ADMIN, workspace.adminToken);
    tokens.set(Role.MEMBER, await workspace.token(Role.MEMBER));
    tokens.set(Role.SERVICE, await workspace.token(Role.SERVICE));
  });
  afterAll(() => api.stop());

  it('declares access on every root field', () => {
    const fields = rootFields(schema);
    expect(fields.length).toBeGreaterThan(0);
    const undeclared = fields
      .filter(({ field }) => {
        const roles = field.extensions.roles as Role[] | undefined;
        const isPublic = field.extensions.public === true;
        return isPublic === Boolean(roles?.length);
      })
      .map(({ kind, field }) => `${kind}.${field.name}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses every non-public query and mutation without a token', async () => {
    const guarded = rootFields(schema).filter((f) => f.kind !== 'subscription' && !f.field.extensions.public);
    for (const root of guarded) {
      const response = await api.gql(operationFor(root));
      expect({ field: root.field.name, code: codeOf(response) }).toEqual({ field: root.field.name, code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses every role a field does not list', async () => {
    const guarded = rootFields(schema).filter((f) => f.kind !== 'subscription' && !f.field.extensions.public);
    for (const root of guarded) {
      const allowed = root.field.extensions.roles as Role[];
      for (const role of Object.values(Role).filter((r) => !allowed.includes(r))) {
        const response = await api.gql(operationFor(root), undefined, tokens.get(role));
        expect({ field: root.field.name, role, code: codeOf(response) }).toEqual({ field: root.field.name, role, code: 'FORBIDDEN' });
      }
    }
  });

  it('refuses every role a subscription does not list', async () => {
    const subscriptions = rootFields(schema).filter((f) => f.kind === 'subscription' && !f.field.extensions.public);
    for (const root of subscriptions) {
      const allowed = root.field.extensions.roles as Role[];
      for (const role of Object.values(Role).filter((r) => !allowed.includes(r))) {
        const ws = api.ws(tokens.get(role));
        const sub = ws.subscribe(operationFor(root));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect({ field: root.field.name, role, errors: JSON.stringify(sub.errors) }).toEqual(
          expect.objectContaining({ errors: expect.stringContaining('FORBIDDEN') }),
        );
        await ws.dispose();
      }
    }
  });
});
