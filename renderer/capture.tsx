// The hidden capture window. A later issue gives it the microphone; for now it only says what it is.
const capture = document.getElementById('capture');
if (capture) {
  const heading = document.createElement('h1');
  heading.textContent = 'Capture window';
  const note = document.createElement('p');
  note.textContent = 'This window will hold the microphone while a consented session is recorded.';
  capture.replaceChildren(heading, note);
}

export {};
