import mongoose from 'mongoose';

/** One database command as mongoose sends it: `collection.method`. */
export type CommandName = string;

/**
 * Records every command mongoose sends while `run` is pending, through its
 * debug hook (which sees each collection method call, i.e. each round trip
 * the driver makes for the app). The hook is global to mongoose, so this is
 * for tests and the bench, never for serving; the previous setting is put back.
 */
export async function recordCommands<T>(
  run: () => Promise<T>,
): Promise<{ result: T; commands: CommandName[] }> {
  const commands: CommandName[] = [];
  const previous = mongoose.get('debug');
  mongoose.set('debug', (collection: string, method: string) => {
    commands.push(`${collection}.${method}`);
  });
  try {
    const result = await run();
    return { result, commands };
  } finally {
    mongoose.set('debug', previous ?? false);
  }
}
