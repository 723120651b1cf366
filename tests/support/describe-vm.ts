import { describe } from "@jest/globals";
import { vmSkipReason } from "./host-guest";

// Apart from host-guest.ts, which bench/boot.ts also imports outside Jest (where
// @jest/globals refuses to load).

/** `describe`, or `describe.skip` with a loud notice where qemu is missing and not required. */
export const describeVm = (vmSkipReason() ? describe.skip : describe) as typeof describe;
