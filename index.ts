// The package's entry point as the component analyzer reads it (TypeScript source, for
// `pulumi package add`); npm consumers get dist/components/index.js through "exports".
export * from "./components";
