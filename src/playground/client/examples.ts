/**
 * Ready operations for the common admin tasks, written against the public contract
 * (API.graphql). The first tabs a new browser sees; "Reset examples" brings them back.
 */
export interface Example {
  readonly query: string;
  readonly variables?: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    query: `# Paste an app token above (npm run admin -- create-workspace prints one), then run.
query Viewer {
  viewer { role appKeyId workspace { id name } }
}`,
  },
  {
    query: `# ADMIN: store a provider key. It is tested at once; the raw key is never shown again.
# 00000000-0000-4000-a000-000000000001 is OpenAI; others: query { providers { id slug name } }
mutation AddProviderKey($input: AddProviderKeyInput!) {
  addProviderKey(input: $input) {
    id maskedKey endpoint label secretVersion testStatus health
    provider { slug name }
  }
}`,
    variables: `{
  "input": { "providerId": "00000000-0000-4000-a000-000000000001", "apiKey": "<your OpenAI key>", "label": "production" }
}`,
  },
  {
    query: `# ADMIN or MEMBER: test a key again (deduplicated while a test is running).
mutation TestProviderKey($id: ID!) {
  testProviderKey(id: $id) {
    id status trigger secretVersion latencyMs modelsFound
    error { code message httpStatus }
  }
}`,
    variables: `{ "id": "<key id>" }`,
  },
  {
    query: `# Runs over graphql-ws: leave it running, then add or test a key in another tab.
subscription WatchKeyStatus {
  keyStatusChanged {
    id label maskedKey testStatus health lastTestedAt deleted
    lastError { code message }
    provider { slug }
  }
}`,
  },
  {
    query: `# The honest picker: only models a tested, healthy key unlocks.
query AvailableModels($capability: Capability) {
  availableModels(capability: $capability) {
    id modelId displayName capabilities
    provider { slug name }
  }
}`,
    variables: `{ "capability": "WRITING" }`,
  },
  {
    query: `# ADMIN: who did what, newest first. Page with "after": endCursor.
query AuditTrail($first: Int, $after: String) {
  auditEvents(first: $first, after: $after) {
    edges { node { action actor targetType targetId details createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    variables: `{ "first": 20 }`,
  },
  {
    query: `# ADMIN: issue a token for a dashboard (MEMBER) or a backend (SERVICE). Shown once.
mutation CreateAppKey($name: String!, $role: Role!) {
  createAppKey(name: $name, role: $role) {
    token
    appKey { id name role prefix createdAt }
  }
}`,
    variables: `{ "name": "dashboard", "role": "MEMBER" }`,
  },
];
