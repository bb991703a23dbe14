/** The `parley` command: start, migrate, doctor, audit verify. */
import { Command, Option } from 'commander';
import { PARLEY_VERSION } from '../platform/lifecycle/version.ts';
import { PROCESS_ROLES } from '../config/settings.ts';
import { runStart } from './start.ts';
import { runMigrate } from './migrate.ts';
import { runDoctor } from './doctor.ts';
import { runAuditVerify } from './audit.ts';

const program = new Command()
  .name('parley')
  .description('Parley: a self-hostable, secure team-collaboration platform.')
  .version(PARLEY_VERSION);

program
  .command('start')
  .description('Run Parley (HTTPS API, web client, realtime and workers; all roles by default).')
  .addOption(new Option('--roles <roles>', `comma-separated roles: ${PROCESS_ROLES.join(',')}`))
  .action(async (opts: { roles?: string }) => {
    process.exitCode = await runStart(opts.roles);
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit.')
  .action(async () => {
    process.exitCode = await runMigrate();
  });

program
  .command('doctor')
  .description('Check configuration, TLS profile and certificate expiry, database and Redis.')
  .action(async () => {
    process.exitCode = await runDoctor();
  });

const audit = program.command('audit').description('Work with the audit log.');
audit
  .command('verify')
  .description(
    'Recompute the audit log hash chain. Exit 0 when intact, 1 naming the first tampered record, 2 when it cannot be checked.',
  )
  .action(async () => {
    process.exitCode = await runAuditVerify();
  });

await program.parseAsync(process.argv);
