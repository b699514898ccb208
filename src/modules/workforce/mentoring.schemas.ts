import { z } from 'zod';

const personSchema = z.object({ id: z.number().int(), name: z.string(), leadsIn: z.string() });
const tieGroups = z.array(z.array(z.number().int()).readonly()).readonly().describe('Ids best first, in groups of equally liked people');

export const roundPairsSchema = z.object({
  round: z.object({ id: z.number().int(), name: z.string(), status: z.string() }),
  pairs: z.array(z.object({ mentor: personSchema, mentee: personSchema, status: z.string() })),
  unmatched: z.array(personSchema).describe('Mentees left unmatched (they join the next round’s waitlist)'),
  preferences: z.object({
    mentees: z.array(z.object({ id: z.number().int(), preferences: tieGroups })),
    mentors: z.array(z.object({ id: z.number().int(), capacity: z.number().int(), preferences: tieGroups })),
  }),
});

export const signUpBodySchema = z.object({
  side: z.string().max(20).default(''),
  leadsIn: z.string().max(20).default(''),
  goals: z.string().max(4000).default(''),
  preferences: z.string().max(4000).default(''),
  capacity: z.string().max(5).default(''),
  choice1: z.string().max(12).default(''),
  choice2: z.string().max(12).default(''),
  choice3: z.string().max(12).default(''),
  choice4: z.string().max(12).default(''),
  choice5: z.string().max(12).default(''),
  bans: z.union([z.string().max(12), z.array(z.string().max(12)).max(500)]).optional(),
  _csrf: z.string().optional(),
});

export const checkInBodySchema = z.object({
  kind: z.enum(['check-in', 'feedback', 'report']).default('check-in'),
  note: z.string().max(8000).default(''),
  rating: z.string().max(2).default(''),
  _csrf: z.string().optional(),
});
