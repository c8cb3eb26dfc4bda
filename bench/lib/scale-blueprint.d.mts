/** Types for scale-blueprint.mjs (imported by test/k8s/fast-yaml.test.ts). */
export declare function scaleBlueprint(items: number): string;
