import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import type { FlashMessage } from './flash.js';
import { fieldErrors, formErrors } from './forms.js';

/** Where a form that worked sends the person, and the success banner they see there. */
export interface FormConfirmation {
  flash: FlashMessage;
  redirect: string;
}

/** What a form page is given when it is shown again: the problem, its GOV.UK error summary and field messages. */
export interface FormProblem {
  error: InputError;
  errorSummary: { text: string; href: string }[];
  errors: Record<string, { text: string }>;
}

export interface HandleFormOptions<Values, Result> {
  /** The form's fields as sent (usually `request.body`); given back to `rerender` unchanged, so nothing typed is lost. */
  input: unknown;
  /** Checks and shapes the input; a field it refuses is named in the error summary. */
  schema: z.ZodType<Values>;
  /** Does the work: one service call. An InputError it throws is shown on the form; any other error propagates. */
  act: (values: Values) => Promise<Result>;
  /** What to tell the person, and where to send them, once the work is done. */
  confirm: (result: Result) => FormConfirmation;
  /** Shows the form again (the reply already has status 400) with the problem and the person's input. */
  rerender: (reply: FastifyReply, problem: FormProblem, input: unknown) => FastifyReply | Promise<FastifyReply>;
}

/** The problem of a refused input, ready for the GOV.UK error summary and the fields' error messages. */
export function formProblem(error: InputError): FormProblem {
  return { error, errorSummary: formErrors(error), errors: fieldErrors(error) };
}

/** Zod's refusals as a form problem: each issue names its field (the path of the value, joined with dots). */
export function inputErrorFromZod(error: z.ZodError): InputError {
  const problems = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'main-content',
    message: issue.message,
  }));
  return new InputError('There is a problem with what you entered', problems);
}

/**
 * The one way a form is handled: validate the input with its schema, act, then confirm with a success banner and a
 * 303 redirect; or, when the input or the action is refused (InputError), show the form again with status 400, the
 * error summary and what the person typed.
 */
export async function handleForm<Values, Result>(reply: FastifyReply, options: HandleFormOptions<Values, Result>): Promise<FastifyReply> {
  const parsed = options.schema.safeParse(options.input);
  if (!parsed.success) return options.rerender(reply.status(400), formProblem(inputErrorFromZod(parsed.error)), options.input);
  let result: Result;
  try {
    result = await options.act(parsed.data);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return options.rerender(reply.status(400), formProblem(error), options.input);
  }
  const { flash, redirect } = options.confirm(result);
  return reply.flash(flash).redirect(redirect, 303);
}
