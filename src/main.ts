// `npm start`: read the environment, build Portico, create a first tenant on an empty store, serve.
import { buildPortico } from './app.ts';
import { catcherRefusal, loadConfig } from './config.ts';
import { announceFirstTenant, credentialsFolder, firstStart } from './first-start.ts';

export async function serveFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const refusal = catcherRefusal(config, env);
  if (refusal) throw new Error(refusal);
  const portico = await buildPortico(config);
  const { log } = portico.services;
  const created = await firstStart(portico.services);
  const { port } = await portico.listen();
  if (created) console.log(announceFirstTenant(config.baseUrl, created, credentialsFolder(config.databaseUrl)));
  log.info({ port, baseUrl: config.baseUrl, store: portico.services.store.kind }, 'Portico is listening');
  console.log(
    `Portico is listening on http://${config.host}:${port} (public URL ${config.baseUrl}; store ${portico.services.store.kind}).`,
  );
  if (portico.catcher)
    console.log(`No PORTICO_SMTP_URL set: mail goes to the built-in catcher, readable at ${config.baseUrl}/dev/mail`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await portico.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serveFromEnv().catch((error: Error) => {
    console.error(`Portico could not start: ${error.message}`);
    process.exit(1);
  });
}
