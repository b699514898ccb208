// Starts the GOV.UK Frontend components on pages that have JavaScript; every page works without it.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
