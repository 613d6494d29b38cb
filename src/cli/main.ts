import { readConfig } from "./read-config.ts";
import { DomainError } from "../domain/errors.ts";
import { createServices } from "../services/index.ts";
import { createDeadLetterTable, createStore, DatabaseUnavailableError, openDatabase, type Database } from "../storage/database.ts";
import { backupUsage, runBackupCommand } from "./backup-commands.ts";
import { parseCommand, usage, UsageError } from "./commands.ts";

/** The admin command line. Exit codes: 0 done, 1 refused (bad input), 2 wrong usage or configuration. */
async function main(argv: string[]): Promise<number> {
  const backupExit = await runBackupCommand(argv);
  if (backupExit !== null) return backupExit;
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage()}${backupUsage()}`);
    return 2;
  }
  const config = readConfig();
  if (!config) return 2;
  let database: Database;
  try {
    database = await openDatabase(config.database, { poolSize: 2 });
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    console.error(error.message);
    return 1;
  }
  try {
    const services = createServices(createStore(database), {
      instanceName: config.instanceName,
      origin: config.origin,
      deadLetters: createDeadLetterTable(database),
    });
    await services.actors.ensureInstanceActor(config.instanceName);
    console.log(await parsed.command.run(services, parsed.values, config));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
