import type { z } from 'zod';

/**
 * What a channel reads from the environment, kept in the channel's own folder
 * so that adding a messenger touches no config file: the config loader merges
 * every channel's spec into its checks (config/index.ts).
 */
export interface ChannelConfigSpec<
  Shape extends z.ZodRawShape = z.ZodRawShape,
  Settings = unknown,
> {
  /** The channel's environment variables and their rules (listed in .env.example). */
  readonly variables: Shape;
  /**
   * The variables (among `variables`) that together switch the channel on: all
   * or none must be set. Plain strings, so that every spec fits one channel list.
   */
  readonly required: readonly string[];
  /** The channel's settings from its checked variables, or undefined when it is off. */
  parse(env: z.output<z.ZodObject<Shape>>): Settings | undefined;
  /** Whether its own switch lets it answer inside the callback's response (an inline reply). */
  inlineReplies(env: z.output<z.ZodObject<Shape>>): boolean;
}
