import { describe, expect, it } from "@jest/globals";
import { newestReleaseImage } from "../../components/aws/ami";

describe("newestReleaseImage", () => {
  const rows: [string, { minor: number; ids: string[] }[], string][] = [
    [
      "the highest minor wins over a later re-published lower one",
      [
        { minor: 4, ids: ["ami-94-republished-2026"] },
        { minor: 6, ids: ["ami-96-2025", "ami-96-2024"] },
      ],
      "ami-96-2025",
    ],
    [
      "9.10 sorts above 9.9 (numbers, not strings)",
      [
        { minor: 9, ids: ["ami-99"] },
        { minor: 10, ids: ["ami-910"] },
      ],
      "ami-910",
    ],
    [
      "a minor with no image in the region is skipped",
      [
        { minor: 10, ids: [] },
        { minor: 8, ids: ["ami-98"] },
      ],
      "ami-98",
    ],
  ];
  for (const [why, releases, expected] of rows) {
    it(why, () => expect(newestReleaseImage(releases, "rhel-9/x86_64")).toBe(expected));
  }
  it("no image at all is an error naming the fix", () => {
    expect(() => newestReleaseImage([{ minor: 0, ids: [] }], "rhel-9/arm64")).toThrow(
      new Error(
        "rhel-9/arm64: no AMI matches the catalog's name pattern in this region. Pass ami explicitly.",
      ),
    );
  });
});
