/** `parley start`: run until SIGTERM/SIGINT, then shut down gracefully. */
import { startParley } from '../main.ts';
import { configOrReport } from './config-from-env.ts';

export async function runStart(roles: string | undefined): Promise<number> {
  const config = configOrReport(roles === undefined ? {} : { PARLEY_ROLES: roles });
  if (config === undefined) return 2;
  const platform = await startParley(config);
  if (platform.origin !== undefined) {
    const trust =
      platform.certificate.caFile === undefined
        ? ''
        : `\n  Local CA to trust in your browser or client: ${platform.certificate.caFile}`;
    process.stderr.write(
      `\nParley is running at ${platform.origin}/${trust}\n` +
        "  Sign in there (on the first start, the administrator's sign-in is shown above).\n" +
        '  Stop with Ctrl+C.\n\n',
    );
  }
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      platform.stop(signal).then(
        () => {
          resolve(0);
        },
        (err: unknown) => {
          platform.logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
