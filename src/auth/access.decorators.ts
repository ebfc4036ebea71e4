import { Authorized, Extensions } from 'type-graphql';
import type { Role } from './role';

/**
 * Every root field carries exactly one of these two decorators, and a test walks the schema to
 * prove it. The extension makes the rule visible in the built schema; Authorized enforces it.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & PropertyDecorator {
  const authorized = Authorized(...roles);
  const extensions = Extensions({ roles });
  return (target: object, property: string | symbol, descriptor?: PropertyDescriptor) => {
    authorized(target, property, descriptor as PropertyDescriptor);
    extensions(target, property, descriptor as PropertyDescriptor);
  };
}

/** Marks a root field that anyone may call without a token. Use sparingly and on purpose. */
export function Public(): MethodDecorator & PropertyDecorator {
  const extensions = Extensions({ public: true });
  return (target: object, property: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, property, descriptor as PropertyDescriptor);
  };
}
