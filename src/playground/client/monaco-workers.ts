/**
 * Monaco (GraphiQL 5's editor) runs its language services in web workers. They are bundled next to
 * the app at build time and served by the api, so nothing is fetched from a CDN.
 */
const ASSETS = '/playground';

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`${ASSETS}/${name}.worker.js`);
  },
};
