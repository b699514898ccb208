import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { fieldErrors, formErrors } from './forms.js';

describe('form problems for the GOV.UK error pattern', () => {
  const error = new InputError('Check the form', [
    { field: 'email', message: 'Enter an email address' },
    { field: 'email', message: 'A second problem with the same field' },
    { field: 'name', message: 'Enter your name' },
  ]);

  it('links each line of the summary to its field', () => {
    expect(formErrors(error)).toEqual([
      { text: 'Enter an email address', href: '#email' },
      { text: 'A second problem with the same field', href: '#email' },
      { text: 'Enter your name', href: '#name' },
    ]);
  });

  it('falls back to the whole message when no field is named', () => {
    expect(formErrors(new InputError('Something is wrong'))).toEqual([{ text: 'Something is wrong', href: '#main-content' }]);
  });

  it('gives each field its first problem', () => {
    expect(fieldErrors(error)).toEqual({ email: { text: 'Enter an email address' }, name: { text: 'Enter your name' } });
    expect(fieldErrors(undefined)).toEqual({});
  });
});
