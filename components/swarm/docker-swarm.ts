import * as pulumi from "@pulumi/pulumi";
import { DockerHostConfigError } from "../core/config-error";
import { checkedAtDeploy } from "../core/deploy-time-error";
import { checkShape, withoutShadowed } from "../core/shape";
import { argsShape } from "../core/args-shape";
import { hostCommand, type HostCommandArgs } from "../remote/host-command";
import type { SshConnection } from "../remote/ssh-connection";
import type { DockerSwarmArgs, SwarmNodeArgs } from "./swarm-args";
import {
  joinTokenScript,
  nodeAdmitScript,
  nodeRetireScript,
  rejoinTokenScript,
  rotateJoinTokensScript,
  swarmInitScript,
  swarmJoinScript,
  unlockKeyScript,
  type NodeAvailability,
} from "./swarm-commands";
import { swarmMemberProblems, writtenMembers } from "./swarm-nodes";

export type { DockerSwarmArgs, SwarmNodeArgs } from "./swarm-args";
import { privateAddressProblem } from "../core/private-address";

/** Docker's Swarm mode over SSH: the first manager makes the swarm, the others join it. */
export class DockerSwarm extends pulumi.ComponentResource {
  /** The first manager's address as the deployer reaches it. */
  public readonly managerAddress: pulumi.Output<string>;
  /** `ssh://user@host:port` of the first manager, once every node is admitted: DOCKER_HOST for the swarm's services. */
  public readonly dockerHost: pulumi.Output<string>;
  /** The first manager's connection, once every node is admitted: what SwarmServices takes. */
  public readonly managerConnection: pulumi.Output<SshConnection>;
  /** Per node name, its swarm node id. */
  public readonly nodeIds: pulumi.Output<Record<string, string>>;
  /** The autolock unlock key (a secret); empty without autolock. */
  public readonly unlockKey: pulumi.Output<string>;

  constructor(name: string, args: DockerSwarmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:DockerSwarm", name, {}, opts);
    const shape = checkShape(argsShape("DockerSwarm"), args);
    const problems = [
      ...shape.problems,
      ...withoutShadowed(
        [
          // The nodes as written, not as pruned: a node the shape check refused (say, for a
          // missing privateAddress) still counts, and keeps its index in every message.
          ...swarmMemberProblems(writtenMembers(args)),
          // An address known now is checked now; one known only at deploy, once known.
          ...(shape.pruned.nodes ?? []).flatMap((n, i) => {
            const problem =
              typeof n.privateAddress === "string"
                ? privateAddressProblem(n.privateAddress)
                : undefined;
            return problem ? [`nodes[${i}].privateAddress: ${problem}`] : [];
          }),
        ],
        shape.failedFields,
      ),
    ];
    if (problems.length) throw new DockerHostConfigError(problems);

    const { nodes } = args;
    const autolock = args.autolock ?? false;
    const hasWorkers = nodes.some((n) => n.role === "worker");
    const managerAvailability: NodeAvailability =
      (args.managersRunTasks ?? !hasWorkers) ? "active" : "drain";
    const availability = (n: SwarmNodeArgs): NodeAvailability =>
      n.role === "manager" ? managerAvailability : "active";
    // Preview checked the plain addresses; one known only at deploy is checked once known.
    const address = (n: SwarmNodeArgs, i: number) =>
      checkedAtDeploy(
        n.privateAddress,
        (a) => {
          const problem = privateAddressProblem(a);
          return problem ? [`nodes[${i}].privateAddress: ${problem}`] : [];
        },
        this,
      );

    const [first, ...others] = nodes;
    const firstConnection = pulumi.output(first.connection);
    // Each step on a node reaches it the node's way (host-command.ts): a remote.Command for a
    // direct connection (what every released swarm holds), the system ssh over a session.
    type Step = Omit<HostCommandArgs, "connection" | "access">;
    const on = (
      node: SwarmNodeArgs,
      step: string,
      args: Step,
      opts: pulumi.CustomResourceOptions,
    ) =>
      hostCommand(
        step,
        { connection: pulumi.output(node.connection), access: node.sshAccess ?? "direct", ...args },
        { parent: this, ...opts },
      );
    // The relays: the other managers, through which a new host in the first manager's place
    // joins the swarm they keep. Each one's token is read again whenever the first manager's
    // machine changes (its machineId; a changed trigger replaces the step, pulumi-command's
    // `triggers`), and is empty while that manager is in no swarm. The engine version (`ready`)
    // and the host key stay the same on a replaced VM, so neither can tell.
    const firstMachine =
      first.machineId ?? pulumi.unsecret(firstConnection.apply((c) => c.hostPublicKey));
    const rejoinToken = (relay: SwarmNodeArgs) =>
      on(
        relay,
        `${name}-${relay.name}-rejoin-token`,
        {
          create: rejoinTokenScript(relay.name),
          logging: "stderr",
          triggers: [firstMachine, relay.ready ?? ""],
        },
        { additionalSecretOutputs: ["stdout"] },
      ).stdout;
    const relays = nodes.flatMap((relay, i) =>
      i > 0 && relay.role === "manager"
        ? [
            pulumi
              .all([address(relay, i), rejoinToken(relay)])
              .apply(([a, t]) => ({ address: a, token: t.trim() })),
          ]
        : [],
    );
    // The first relay in the swarm, as the line the first manager's step reads.
    const relayLine = pulumi
      .all(relays)
      .apply((rs) => rs.filter((r) => r.token).map((r) => `${r.address} ${r.token}`)[0] ?? "");
    const init = on(
      first,
      `${name}-${first.name}-init`,
      {
        create: address(first, 0).apply((a) =>
          swarmInitScript(
            first.name,
            { address: a, availability: availability(first) },
            autolock,
            relays.length > 0,
          ),
        ),
        ...(relays.length ? { stdin: pulumi.secret(relayLine.apply((l) => `${l}\n`)) } : {}),
        // No delete: a replaced step's old copy is deleted last, on the old host, which on AWS
        // the attachment's replacement has stopped, so a `swarm leave` could never connect
        // (docs/lifecycle.md, "A new engine version"). The retirement removes the node, and a
        // new machine forgets its disk's swarm state (bootstrap/swarm-state.ts).
        triggers: [first.ready ?? ""],
      },
      // A node's membership step is one resource whether it makes the swarm or joins it: when
      // another manager moves first (to replace the first one), the step is updated, and the
      // update re-runs a script that finds the node active and does nothing.
      { aliases: [{ name: `${name}-${first.name}-join` }] },
    );
    // A changed rotateJoinTokens is a new rotate step (triggers replace), run after the swarm exists.
    // The relays' kept tokens are not read again here: they are read when they are used, when
    // the first manager's host changes (and a relay's read runs before the first manager's step,
    // so it could not follow a rotation that runs after that step).
    const rotation = args.rotateJoinTokens
      ? on(
          first,
          `${name}-rotate-join-tokens`,
          {
            create: rotateJoinTokensScript(),
            logging: "stderr",
            triggers: [args.rotateJoinTokens],
          },
          { dependsOn: [init] },
        )
      : undefined;
    // Tokens and the unlock key are read once the swarm exists (and after a rotation, read again),
    // and kept secret in state.
    const secretRead = (suffix: string, script: string, rotated = false) =>
      on(
        first,
        `${name}-${suffix}`,
        {
          create: script,
          logging: "stderr",
          triggers: [
            init.stdout,
            ...(rotated && args.rotateJoinTokens ? [args.rotateJoinTokens] : []),
          ],
        },
        {
          dependsOn: [init, ...(rotated && rotation ? [rotation] : [])],
          additionalSecretOutputs: ["stdout"],
        },
      ).stdout;
    const token = {
      worker: hasWorkers ? secretRead("worker-token", joinTokenScript("worker"), true) : undefined,
      manager: others.some((n) => n.role === "manager")
        ? secretRead("manager-token", joinTokenScript("manager"), true)
        : undefined,
    };
    // Secret in this output too, whatever the state's record of the command says.
    this.unlockKey = pulumi.secret(
      autolock ? trimmed(secretRead("unlock-key", unlockKeyScript())) : pulumi.output(""),
    );

    const ids: Record<string, pulumi.Output<string>> = { [first.name]: trimmed(init.stdout) };
    const managerAddress = address(first, 0);
    others.forEach((node, j) => {
      const i = j + 1;
      const joined = on(
        node,
        `${name}-${node.name}-join`,
        {
          create: pulumi
            .all([address(node, i), managerAddress])
            .apply(([a, m]) =>
              swarmJoinScript(node.name, { address: a, availability: availability(node) }, m),
            ),
          stdin: pulumi.secret(token[node.role]!.apply((t) => `${t.trim()}\n`)),
          // No delete, as the first manager's step above: the retirement removes the node.
          triggers: [node.ready ?? ""],
        },
        { dependsOn: [init], aliases: [{ name: `${name}-${node.name}-init` }] },
      );
      ids[node.name] = trimmed(joined.stdout);
    });
    // Admission on the first manager: Ready, availability, the name label; and the retirement
    // (drain, demote, remove) when the node leaves the declaration. Deleted before the node's
    // host (it depends on it), so the host goes only after its tasks moved.
    const admitted = nodes.map((node, i) => {
      const id = ids[node.name];
      return on(
        first,
        `${name}-${node.name}-admit`,
        {
          create: pulumi
            .all([id, address(node, i)])
            .apply(([nodeId, a]) =>
              nodeAdmitScript(node.name, nodeId, { address: a, availability: availability(node) }),
            ),
          // The first manager made the swarm: it is retired only with the swarm itself.
          ...(i === 0 ? {} : { delete: id.apply((nodeId) => nodeRetireScript(node.name, nodeId)) }),
        },
        { dependsOn: [init] },
      );
    });

    this.managerAddress = pulumi.unsecret(firstConnection.apply((c) => c.host));
    // What the swarm's consumers talk to resolves only once the swarm is formed: every node's
    // admission step has run (and with it init and the joins). The connection alone resolves as
    // soon as the first host has an address, before its readiness gate and `docker swarm init`,
    // and an Output carries the resources it was made from (the Node SDK registers a resource
    // only once those finished: pulumi/pulumi sdk/nodejs/runtime/resource.ts, prepareResource),
    // so SwarmServices' provider, networks, secrets and services would otherwise come first.
    const formed = pulumi.all(admitted.map((a) => a.stdout)).apply(() => true);
    const afterFormed = <T>(value: pulumi.Output<T>) =>
      pulumi.all([formed, value]).apply(([, v]) => v);
    this.managerConnection = afterFormed(
      firstConnection.apply((c) => ({ ...c, port: c.port ?? 22 })),
    );
    this.dockerHost = afterFormed(
      pulumi.interpolate`ssh://${pulumi.unsecret(firstConnection.apply((c) => c.user))}@${this.managerAddress}:${pulumi.unsecret(firstConnection.apply((c) => c.port ?? 22))}`,
    );
    this.nodeIds = pulumi.output(ids);
    this.registerOutputs({
      managerAddress: this.managerAddress,
      dockerHost: this.dockerHost,
      managerConnection: this.managerConnection,
      nodeIds: this.nodeIds,
      unlockKey: this.unlockKey,
    });
  }
}

const trimmed = (out: pulumi.Output<string>) => out.apply((s) => s.trim());
