package io.juspaycustomer.plugin.support

/**
 * Reads src-ts/definitions.ts, the API's single source, so the Kotlin side is checked against
 * what TypeScript declares rather than against a copy of it.
 */
object Definitions {
    /** A member of an interface: `name`, `name?` (optional) and its declared TS type. */
    data class Member(val name: String, val optional: Boolean, val type: String)

    private val text: String by lazy { Paths.definitions.readText() }

    /** The interface's own lines (members sit at two spaces; doc comments start with " *"). */
    private fun body(name: String): List<String> {
        val lines = text.lines()
        val start = lines.indexOfFirst { it.startsWith("export interface $name ") }
        check(start >= 0) { "interface $name not found in ${Paths.definitions}" }
        val end = (start until lines.size).first { lines[it] == "}" }
        return lines.subList(start + 1, end)
    }

    fun properties(name: String): List<Member> = body(name).mapNotNull { line ->
        Regex("^  (\\w+)(\\??): (.+);$").find(line)?.destructured?.let { (n, q, t) -> Member(n, q == "?", t) }
    }.also { check(it.isNotEmpty()) { "no properties found in $name" } }

    fun methods(name: String): List<String> = body(name).mapNotNull { line ->
        Regex("^  (\\w+)\\(").find(line)?.groupValues?.get(1)
    }.also { check(it.isNotEmpty()) { "no methods found in $name" } }

    /** The members of `export type NAME = | 'A' | 'B' …;`. */
    fun stringUnion(name: String): List<String> {
        val start = text.indexOf("export type $name =")
        check(start >= 0) { "type $name not found" }
        val declaration = text.substring(start, text.indexOf(';', start))
        return Regex("'([A-Z_]+)'").findAll(declaration).map { it.groupValues[1] }.toList()
    }
}
