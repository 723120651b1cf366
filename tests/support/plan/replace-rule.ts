// The shape of one provider's rule (replace-rules.ts and its per-cloud files hold the rules).

export interface ReplaceRule {
  /** Input properties whose change forces a new resource (a dotted entry: a nested path). */
  replaces: string[];
  /** Input properties the provider updates in place (with what is below them). */
  updates: string[];
  /** Every input not in `replaces` is updated in place (azure-native's rule). */
  everyOtherUpdates?: boolean;
  /**
   * Whether an update that changes `props` gives the resource outputs its dependents did not see
   * (a Command's new stdout, an instance's new public address after a stop and start); absent:
   * it may (the conservative answer). The id never changes on an update.
   */
  updateRecomputes?: (props: string[]) => boolean;
  /**
   * Input paths the engine plans as an update but the service behind the provider refuses, each
   * with who refuses it and how: `pulumi up` fails there.
   */
  refusedUpdates?: Record<string, string>;
  /** At most one of these is set; a change from one to another replaces the resource. */
  oneOf?: string[];
  /** The row of docs/lifecycle.md's sources table where the two lists were read. */
  source: string;
  /**
   * The provider replaces delete-before-replace unless the resource's own option says otherwise
   * (pulumi/pulumi step_generator.go: a program's `deleteBeforeReplace`, when set, overrides the
   * provider's diff).
   */
  deleteBeforeReplace?: boolean;
}

/** A list of property names, written as words (the rule files' lists are long). */
export const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
