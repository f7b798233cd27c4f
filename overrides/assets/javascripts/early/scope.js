// Material for MkDocs (MIT licence), partials/javascripts/base.html, served as a file for the
// Content-Security-Policy. Material resolves the scope from the page's base URL; this file
// sits at <base>/assets/javascripts/early/, so the base is three levels up from it.
__md_scope=new URL("../../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
