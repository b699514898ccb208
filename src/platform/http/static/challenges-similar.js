/* global fetch, setTimeout, clearTimeout */
// Progressive enhancement for the challenge form: suggests similar challenges while the title and problem are typed.
// Without JavaScript the form's "Check for similar challenges" step does the same.
const results = document.querySelector('[data-similar-results]');
const title = document.getElementById('title');
const problem = document.getElementById('problem');

if (results && title && problem) {
  let timer;
  let lastText = '';

  const render = (items) => {
    results.replaceChildren();
    if (items.length === 0) {
      results.hidden = true;
      return;
    }
    const heading = document.createElement('h2');
    heading.className = 'govuk-heading-s';
    heading.textContent = 'Similar challenges already posted';
    const list = document.createElement('ul');
    list.className = 'govuk-list';
    for (const item of items) {
      const entry = document.createElement('li');
      const link = document.createElement('a');
      link.className = 'govuk-link';
      link.href = item.url;
      link.textContent = item.title;
      const detail = document.createElement('span');
      detail.className = 'govuk-body-s govuk-!-display-block';
      detail.textContent = `${item.owner.name} · shared by ${item.sharedBy} · match ${Math.round(item.score * 100)}%`;
      const join = document.createElement('a');
      join.className = 'govuk-link govuk-body-s';
      join.href = `${item.url}/join`;
      join.textContent = 'We have this too';
      entry.append(link, detail, join);
      list.append(entry);
    }
    results.append(heading, list);
    results.hidden = false;
  };

  const lookUp = async () => {
    const text = `${title.value}\n${problem.value}`.trim();
    if (text.length < 8 || text === lastText) return;
    lastText = text;
    try {
      const response = await fetch(`/api/v1/challenges/similar?limit=3&text=${encodeURIComponent(text.slice(0, 4000))}`);
      if (!response.ok) return;
      const body = await response.json();
      render(body.items.filter((item) => item.score >= 0.15));
    } catch {
      // Suggestions are a help, not a step: the form still works without them.
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 600);
  };
  title.addEventListener('input', schedule);
  problem.addEventListener('input', schedule);
}
