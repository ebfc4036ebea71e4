import 'reflect-metadata';
import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema, Query, Resolver } from 'type-graphql';

/**
 * Baseline: the same stack as the api (express 5, Apollo Server 5, a type-graphql schema) with
 * nothing behind it: `{ hello }`. The gap to the picker is what our resolvers, auth and SQL cost.
 * Usage: hello-server.ts PORT
 */
@Resolver()
class HelloResolver {
  @Query(() => String)
  hello(): string {
    return 'world';
  }
}

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const schema = await buildSchema({ resolvers: [HelloResolver], validate: false });
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  const app = express();
  app.get('/', (_req, res) => void res.send('ok'));
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  createServer(app).listen(port, '127.0.0.1');
}

void main();
