/** Types for readme-figures.mjs (imported by test/readme/bench-figures.test.ts). */
export declare const README_FIGURES: { readonly start: string; readonly end: string };
export declare function readmeFigures(resultsMd: string): string;
export declare function withReadmeFigures(text: string, figures: string): string | undefined;
export declare function readmeFiguresOf(text: string): string | undefined;
