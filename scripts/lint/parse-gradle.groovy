// Parses Gradle build scripts as Groovy, without running them: a syntax check for the build
// files that only a machine with the Android SDK and Gradle builds (scripts/test.d/47-lint.sh).
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases

args.each { path ->
    def unit = new CompilationUnit()
    unit.addSource(new File(path))
    unit.compile(Phases.CONVERSION)
}
println "parse-gradle.groovy: ${args.length} Gradle scripts parse"
