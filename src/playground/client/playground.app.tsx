import './monaco-workers';
import 'graphiql/style.css';
import './playground.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from './examples';

const GRAPHQL_PATH = '/graphql';
/** sessionStorage: the token survives a reload but not the browser tab, and is never sent elsewhere. */
const TOKEN_KEY = 'byok.playground.token';

const httpUrl = `${location.origin}${GRAPHQL_PATH}`;
const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;

/** One fetcher per token: HTTP sends it as a header, graphql-ws in connection_init. */
function useFetcher(token: string) {
  const { fetcher, wsClient } = useMemo(() => {
    const authorization = token ? `Bearer ${token}` : undefined;
    const client = createClient({
      url: wsUrl,
      lazy: true,
      retryAttempts: 0,
      connectionParams: () => (authorization ? { authorization } : {}),
    });
    const fetcher = createGraphiQLFetcher({
      url: httpUrl,
      headers: authorization ? { authorization } : {},
      wsClient: client,
      enableIncrementalDelivery: false,
    });
    return {
      wsClient: client,
      fetcher: ((params, options) => fetcher({ ...params, operationName: operationNameFor(params.query, params.operationName) }, options)) as Fetcher,
    };
  }, [token]);
  useEffect(() => () => void wsClient.dispose(), [wsClient]);
  return fetcher;
}

/**
 * GraphiQL updates its operation name a moment after the editor changes, so Run right after a tab
 * switch can send the previous tab's name with this tab's document (the server answers BAD_REQUEST).
 * A name the document does not hold is dropped when the document has a single operation.
 */
function operationNameFor(query: string, operationName: string | null | undefined): string | null | undefined {
  if (!operationName) return operationName;
  try {
    const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.some((o) => o.name?.value === operationName)) return operationName;
    return operations.length === 1 ? operations[0].name?.value : operationName;
  } catch {
    return operationName; // Not parseable: the server's answer says why.
  }
}

/** Clears GraphiQL's saved tabs so the example operations come back. */
function resetExamples(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('graphiql:')) localStorage.removeItem(key);
  location.reload();
}

function TokenBar(props: { token: string; onToken: (token: string) => void }) {
  const [draft, setDraft] = useState('');
  const apply = () => {
    props.onToken(draft.trim());
    setDraft('');
  };
  return (
    <form
      className="byok-token-bar"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <strong>BYOK playground</strong>
      <input
        type="password"
        aria-label="App token"
        placeholder={props.token ? 'Paste another token to switch' : 'Paste an app token (byok_…)'}
        autoComplete="off"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">Use token</button>
      <span className="byok-token-status" data-testid="token-status">
        {props.token ? `Using ${props.token.slice(0, 9)}…` : 'No token: only the schema is visible'}
      </span>
      {props.token ? (
        <button type="button" onClick={() => props.onToken('')}>
          Forget token
        </button>
      ) : null}
      <button type="button" onClick={resetExamples}>
        Reset examples
      </button>
    </form>
  );
}

function Playground() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const fetcher = useFetcher(token);
  const onToken = (next: string) => {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(next);
  };
  return (
    <div className="byok-playground">
      <TokenBar token={token} onToken={onToken} />
      <div className="byok-graphiql">
        <GraphiQL fetcher={fetcher} defaultTabs={[...EXAMPLES]} defaultEditorToolsVisibility="variables" />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Playground />);
