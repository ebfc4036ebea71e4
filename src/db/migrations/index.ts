import { Foundation1796413883460 } from './1796413883460-Foundation';

/** Every migration in the order it runs, listed by hand. Never edit one that has landed. */
export const migrations: Function[] = [Foundation1796413883460];
