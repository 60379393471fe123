require 'json'

package = JSON.parse(File.read(File.join(__dir__, 'package.json')))
# npm's "git+https://….git" form: CocoaPods takes the plain git URL.
repository = (package['repository'].is_a?(Hash) ? package['repository']['url'] : package['repository'])&.sub(/\Agit\+/, '')

Pod::Spec.new do |s|
  # The name `npx cap sync` writes into the app's Podfile for capacitor-juspay-customer.
  s.name = 'CapacitorJuspayCustomer'
  s.version = package['version']
  s.summary = package['description']
  s.license = package['license']
  s.homepage = package['homepage'] || repository || 'https://www.npmjs.com/package/capacitor-juspay-customer'
  s.author = package['author'] || 'capacitor-juspay-customer contributors'
  s.source = { :git => repository || s.homepage, :tag => s.version.to_s }
  s.ios.deployment_target = '15.0'
  s.swift_version = '5.9'
  # The generated bindings and the plugin compile into this one module here (under SwiftPM they
  # are two), which is why the plugin imports JuspayCustomerCore only when it can.
  s.source_files = 'ios/Sources/**/*.swift'
  s.vendored_frameworks = 'ios/Frameworks/JuspayCustomerFFI.xcframework'
  # CocoaPods copies a static-library xcframework's Headers (with the module map) here; Swift
  # needs it on its include path to `import JuspayCustomerFFI`.
  s.pod_target_xcconfig = {
    'SWIFT_INCLUDE_PATHS' => '$(inherited) "${PODS_XCFRAMEWORKS_BUILD_DIR}/CapacitorJuspayCustomer/Headers"',
    'HEADER_SEARCH_PATHS' => '$(inherited) "${PODS_XCFRAMEWORKS_BUILD_DIR}/CapacitorJuspayCustomer/Headers"'
  }
  s.dependency 'Capacitor'
end
