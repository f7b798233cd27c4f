// Material for MkDocs (MIT licence), partials/javascripts/content.html, served as a file for the
// Content-Security-Policy: opens the content tab a link's #anchor names.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
