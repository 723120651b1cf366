import { afterAll } from "@jest/globals";
import {
  AWS_IMAGE_CHANGES,
  AZURE_IMAGE_CHANGES,
  BAKE_RESOURCE,
  LOCAL_IMAGE_CHANGES,
  imageRuns,
} from "../support/reference/image-changes";
import { removeLocalFiles } from "../support/reference/local-host-changes";
import { imageEffect } from "../support/reference/on-change";
import { describeOnChange } from "../support/reference/on-change-test";

// docs/reference/on-change.md, the three bakes: whether a change of an input makes a new image.
// DOCKERHOST_WRITE_REFERENCE=1 writes the sections (jest -i: one file at a time).

afterAll(removeLocalFiles);

describeOnChange("dev", [
  {
    heading: "AwsDockerHostImage",
    fields: Object.keys(AWS_IMAGE_CHANGES),
    deployed: "An AMI bake `ai` of Debian 12 (Image Builder, a build instance of its own).",
    runs: imageRuns.AwsDockerHostImage,
    effect: (c) => imageEffect(c, BAKE_RESOURCE.AwsDockerHostImage),
  },
  {
    heading: "AzureDockerHostImage",
    fields: Object.keys(AZURE_IMAGE_CHANGES),
    deployed: "An image bake `zi` into the gallery of the group `images-rg`, in westeurope.",
    runs: imageRuns.AzureDockerHostImage,
    effect: (c) => imageEffect(c, BAKE_RESOURCE.AzureDockerHostImage),
  },
  {
    heading: "LocalDockerHostImage",
    fields: Object.keys(LOCAL_IMAGE_CHANGES),
    deployed: "A local bake `li` of Debian 12's cloud image into `/images/baked`.",
    runs: imageRuns.LocalDockerHostImage,
    effect: (c) => imageEffect(c, BAKE_RESOURCE.LocalDockerHostImage),
  },
]);
