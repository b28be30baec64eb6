// Better with JavaScript: no double submission, a jump to the first unanswered question,
// and a question's error mark cleared as soon as it is answered.
(function () {
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit], button:not([type])");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
  document.querySelectorAll(".question.invalid").forEach(function (question) {
    question.addEventListener("change", function () {
      question.classList.remove("invalid");
      question.removeAttribute("aria-describedby");
      var error = question.querySelector("p.error");
      if (error) { error.remove(); }
      if (!document.querySelector(".question.invalid")) {
        var summary = document.getElementById("errors");
        if (summary) { summary.remove(); }
      }
    });
  });
  var first = document.querySelector(".question.invalid input");
  if (first) { first.focus(); }
})();
