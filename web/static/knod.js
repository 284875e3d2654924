/* knod portal: optional progressive enhancement. Every page works without
   this file (forms have submit buttons, tables are plain tables). Here it
   only marks the current section in the navigation for screen readers. */
document.addEventListener('DOMContentLoaded', function () {
  var path = window.location.pathname;
  document.querySelectorAll('header.site nav a').forEach(function (a) {
    var href = a.getAttribute('href');
    if (href === path || (href !== '/' && path.indexOf(href + '/') === 0))
      a.setAttribute('aria-current', 'page');
  });
});
