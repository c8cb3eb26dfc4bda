import { z } from "zod";

/** Shared pieces of the section schemas (v1.1): one description helper, one GPU shape. */
export const d = (description: string) => ({ description });

export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().min(0);

/** A declared bucket's name (the reference is checked by the cross-reference rules). */
export const bucketRef = (what: string) => z.string().min(1).meta(d(`A declared storage bucket (${what}).`));
