// The bare provider's one client and member, shared by the process (bare-provider.ts) and its driver (bare.ts).
export const BARE = {
  clientId: 'bench-app',
  clientSecret: 'bench-secret-that-is-long-enough-0123456789',
  redirectUri: 'https://app.bench.example/callback',
  password: 'bench-password-1',
  resource: 'https://api.bench.example/',
};
