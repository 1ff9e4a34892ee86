/**
 * Compile-time checks that an adapter's read schema gives exactly the type its port promises (a
 * port interface, or a core type the read schema was derived from with changes of its own), so
 * neither can gain, lose or change a field without the other (readonly is ignored; optionality,
 * nullability and literal unions are not).
 */

/**
 * `T` without readonly and without index signatures, all the way down (arrays and objects): a
 * schema that keeps unknown fields (`z.looseObject`) still has exactly the interface's named ones.
 */
export type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T as string extends K ? never : K]: Writable<T[K]> }
    : T;

/** True when A and B are the same type once readonly and index signatures are ignored. */
export type SameShape<A, B> =
  (<X>() => X extends Writable<A> ? 1 : 2) extends <X>() => X extends Writable<B> ? 1 : 2
    ? true
    : false;

/** Compiles only when given `true`: `type _ = Assert<SameShape<A, B>>`. */
export type Assert<T extends true> = T;
