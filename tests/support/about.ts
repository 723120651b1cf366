/**
 * Jest's expect takes no message. Where the context decides whether a failure can be read (which
 * rendered script, a command's output), it goes into the compared value instead:
 *   expect(about(label, result.status)).toStrictEqual(about(label, 0))
 */
export function about<T>(context: string, value: T): { context: string; value: T } {
  return { context, value };
}
