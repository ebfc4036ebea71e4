import { registerEnumType } from 'type-graphql';

/**
 * What a model can be chosen for. WRITING and REPLIES mean text generation; AGENTS and TOOLS mean
 * tool or function calling; VISION means image input; IMAGES means image generation.
 */
export enum Capability {
  WRITING = 'WRITING',
  REPLIES = 'REPLIES',
  AGENTS = 'AGENTS',
  TOOLS = 'TOOLS',
  VISION = 'VISION',
  IMAGES = 'IMAGES',
}

registerEnumType(Capability, { name: 'Capability' });
