// TypeDoc plugin (typedoc.json `plugin`): every public export has an
// `@example`. TypeDoc's own validation (`notDocumented`) demands a comment;
// this adds, when that validation is on, a warning for each export, each
// function of an exported object (`routes.add`, documented as a namespace)
// and each public method of an exported class whose comment has no
// `@example` block. With treatWarningsAsErrors, one missing fails the build.
import { Application, ReflectionKind } from 'typedoc'

const MEMBER_KINDS = ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.Constructor

/** The comments a reader sees for `r`: its own and its signatures'. */
function comments(r) {
  const sigs = [...(r.signatures ?? []), r.getSignature, r.setSignature].filter(Boolean)
  return [r.comment, ...sigs.map((s) => s.comment)].filter(Boolean)
}

const hasExample = (r) => comments(r).some((c) => c.blockTags.some((t) => t.tag === '@example'))

/** The reflections that need an example: exports, functions of exported namespaces, public class members. */
function needingExamples(project) {
  const out = []
  for (const child of project.children ?? []) {
    out.push(child)
    if (child.kindOf(ReflectionKind.Namespace)) out.push(...(child.children ?? []))
    if (child.kindOf(ReflectionKind.Class)) {
      out.push(...(child.children ?? []).filter((m) => m.kindOf(MEMBER_KINDS) && !m.flags.isPrivate && !m.inheritedFrom))
    }
  }
  return out
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (!app.options.getValue('validation').notDocumented) return
    for (const r of needingExamples(project)) {
      if (!hasExample(r)) {
        app.logger.validationWarning(`${r.getFriendlyFullName()} (${ReflectionKind[r.kind]}) has no @example in its doc comment`)
      }
    }
  })
}
