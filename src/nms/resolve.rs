//! Resolution of the URLs inside decoded bodies (`resourceURL`, `parentFolder`, `payloadURL`,
//! `href`, …), so callers only ever see absolute, usable URLs.

use crate::wire::{
    BulkResponseList, Empty, FlagList, Folder, FolderList, FolderReferenceList, Object, ObjectList,
    ObjectReferenceList, PathList, Reference, TargetSourceRef, folder::FolderName,
};

/// A body whose server URLs can be rewritten by `f` (raw URL in, the resolved URL out, or
/// `None` when it stays as it is: most do, and keeping them saves a copy of each).
pub(crate) trait ResolveUrls {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>);
}

fn fix(s: &mut String, f: &dyn Fn(&str) -> Option<String>) {
    if !s.is_empty()
        && let Some(new) = f(s)
    {
        *s = new;
    }
}

fn fix_opt(s: &mut Option<String>, f: &dyn Fn(&str) -> Option<String>) {
    if let Some(s) = s {
        fix(s, f);
    }
}

impl ResolveUrls for Object {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        fix_opt(&mut self.resource_url, f);
        fix_opt(&mut self.parent_folder, f);
        fix_opt(&mut self.payload_url, f);
        self.flags.resolve_urls(f);
        for p in &mut self.payload_part {
            fix(&mut p.href, f);
        }
    }
}

impl ResolveUrls for ObjectList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        for o in &mut self.object {
            o.resolve_urls(f);
        }
    }
}

impl ResolveUrls for FlagList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        fix_opt(&mut self.resource_url, f);
    }
}

impl ResolveUrls for Reference {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        fix(&mut self.resource_url, f);
    }
}

impl ResolveUrls for ObjectReferenceList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        for r in &mut self.object_reference {
            r.resolve_urls(f);
        }
    }
}

impl ResolveUrls for FolderReferenceList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        for r in &mut self.folder_reference {
            r.resolve_urls(f);
        }
    }
}

impl ResolveUrls for Folder {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        fix_opt(&mut self.resource_url, f);
        fix_opt(&mut self.parent_folder, f);
        if let Some(l) = &mut self.sub_folders {
            l.resolve_urls(f);
        }
        if let Some(l) = &mut self.objects {
            l.resolve_urls(f);
        }
    }
}

impl ResolveUrls for FolderList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        for x in &mut self.folder {
            x.resolve_urls(f);
        }
    }
}

impl ResolveUrls for BulkResponseList {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        for r in &mut self.response {
            if let Some(s) = &mut r.success {
                s.resolve_urls(f);
            }
        }
    }
}

impl ResolveUrls for TargetSourceRef {
    fn resolve_urls(&mut self, f: &dyn Fn(&str) -> Option<String>) {
        self.target_ref.resolve_urls(f);
        self.source_refs.folders.resolve_urls(f);
        self.source_refs.objects.resolve_urls(f);
    }
}

macro_rules! no_urls {
    ($($t:ty),*) => { $(impl ResolveUrls for $t { fn resolve_urls(&mut self, _: &dyn Fn(&str) -> Option<String>) {} })* };
}
no_urls!(Empty, PathList, FolderName);
