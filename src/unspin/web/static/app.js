// Small progressive enhancements; every form also works without JavaScript.
"use strict";

// A busy notice on long-running forms (tracing takes a second or two).
document.querySelectorAll("form[data-busy]").forEach((form) => {
  form.addEventListener("submit", () => {
    const status = form.querySelector(".busy");
    const button = form.querySelector("button[type=submit]");
    if (status) status.textContent = form.dataset.busy;
    if (button) button.disabled = true;
  });
});

// Upload progress for the corpus form: send it with XMLHttpRequest, show a progress bar, then
// go where the server redirects (the ingest job's page).
document.querySelectorAll("form[data-progress]").forEach((form) => {
  const bar = document.getElementById(form.dataset.progress);
  const status = form.querySelector(".busy");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    // The token as a header too: the server checks it before it reads the upload.
    const token = form.querySelector("input[name=csrf_token]");
    if (token) xhr.setRequestHeader("X-CSRF-Token", token.value);
    bar.hidden = false;
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        const pct = Math.round((100 * e.loaded) / e.total);
        bar.value = pct;
        bar.textContent = pct + "%";
        status.textContent = "Uploading: " + pct + "%";
      }
    });
    xhr.addEventListener("load", () => {
      if (xhr.status < 400) {
        window.location.assign(xhr.responseURL);
      } else {
        // Show the server's message; DOMParser never runs scripts in what it parses.
        const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        const message = page.querySelector(".error, p");
        status.textContent = "Refused (" + xhr.status + "): " +
          (message ? message.textContent : xhr.statusText);
        status.classList.add("error");
      }
    });
    xhr.addEventListener("error", () => {
      status.textContent = "The upload failed; is the server still running?";
    });
    xhr.send(new FormData(form));
  });
});
