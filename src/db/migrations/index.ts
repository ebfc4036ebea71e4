import { Foundation1796413883460 } from './1796413883460-Foundation';
import { KeyTable1796415023653 } from './1796415023653-KeyTable';
import { SeedBuiltInProviders1796415048144 } from './1796415048144-SeedBuiltInProviders';
import { AuditAppendOnly1796415048145 } from './1796415048145-AuditAppendOnly';
import { KeyTests1796415577140 } from './1796415577140-KeyTests';
import { ModelSelections1796417856481 } from './1796417856481-ModelSelections';

/** Every migration in the order it runs, listed by hand. Never edit one that has landed. */
export const migrations: Function[] = [
  Foundation1796413883460,
  KeyTable1796415023653,
  SeedBuiltInProviders1796415048144,
  AuditAppendOnly1796415048145,
  KeyTests1796415577140,
  ModelSelections1796417856481,
];
